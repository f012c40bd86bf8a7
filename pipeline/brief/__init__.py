"""The brief: items from claims, the assembled Brief, its Markdown/HTML, and the files of a run."""
