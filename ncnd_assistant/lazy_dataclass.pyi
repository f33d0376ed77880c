"""For type checkers the lazy dataclass is the standard one: same arguments, same classes."""

from dataclasses import dataclass as dataclass
