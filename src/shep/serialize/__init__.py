"""Serializers of the model: JSON / JSON Lines (here) and FlatBuffers (``fbs``)."""
