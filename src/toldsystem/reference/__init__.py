"""Reference data: customs offices and their roles, countries, currencies, code lists."""
