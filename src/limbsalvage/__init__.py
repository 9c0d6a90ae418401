"""limbsalvage: running a limb salvage program."""

__version__ = "0.1.0.dev0"
