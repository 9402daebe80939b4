"""Owners confirm what they own: a DM per review period to each Accountable holder, confirmations, stale ownership."""
