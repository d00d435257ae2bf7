"""DEC-DMS messages shared by DMS Import and DMS Export: the content model of qualified DEC-DMS schemas, XML ⇄ data, schema errors as problems."""
