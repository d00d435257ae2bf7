"""The file gateway (seed 000): SFTP and FTPS front ends over one inbox/outbox service."""
