"""Reading and writing models: the canonical file and the formats people use.

Each format is a module of its own. Heavy or optional dependencies are
imported inside the functions that need them.
"""
