"""Messaging channels: one class per channel behind one interface (see base.py)."""
