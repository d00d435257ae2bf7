"""What every room that pushes shares: the durable delivery queue and its worker (queue.py), signed webhook posts
(webhooks.py) and mail through the configured SMTP server (mail.py)."""
