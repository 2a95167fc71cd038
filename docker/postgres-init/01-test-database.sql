-- The integration tests connect as postgres to a database named test (TEST_DATABASE_URL).
CREATE DATABASE test;
