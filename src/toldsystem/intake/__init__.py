"""The durable intake queue shared by every channel (ARCHITECTURE "Durable intake queue", SPEC O): submissions a
queued service window holds, kept in order and processed exactly once when the window ends.

rules.py says what it allows (bounds per sender, who may read a held submission, when a queue may drain);
store.py is its table; service.py holds, reads and drains (the only seam to the table), with a handler per room
registered by name; worker.py drains while the server runs.
"""
