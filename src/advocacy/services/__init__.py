"""Use cases of Advocacy, each over one unit of work: import, look up, build the demo."""
