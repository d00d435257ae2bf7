"""Companies: the EORI register, registrations for import/export, and authorisations."""
