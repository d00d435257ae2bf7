"""Digital signatures for ICS and Manifest (seed 000): the certificates a company registers, and the verification of
signed submissions every channel asks (signatures.service.verify)."""
