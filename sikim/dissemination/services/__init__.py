"""Writes for dissemination: bulletins, the KIM inbox cascade, the fan-out and the sender."""
