"""The contract (pydantic), the database tables, the functions that read and write them."""
