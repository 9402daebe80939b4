"""Learned phrases: the bot learns which activity a question it could not answer was about."""
