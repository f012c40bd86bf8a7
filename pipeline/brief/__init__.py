"""The brief: sections and sources assembled into the Brief, its Markdown and HTML, and the files of a run."""
