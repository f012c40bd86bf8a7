"""Sections: key agreements, points of divergence, things unsaid, one implementation per engine."""
