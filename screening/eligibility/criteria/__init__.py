"""The protocol's rules, one function per criterion id.

Each rule is ``rule(record, protocol) -> Verdict``: pure, reading its
thresholds from ``protocol``; ``protocol.py`` names and orders them.
"""
