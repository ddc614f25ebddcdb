-- Run once by the postgres image on an empty data volume (/docker-entrypoint-initdb.d), as POSTGRES_USER, in
-- POSTGRES_DB (lightning, the Lightning hub's journal). One database per relay-hub member: each member journals its
-- own settlement and seen payloads (docs/protocol.md); tables are created by the members at their first start.
CREATE DATABASE hub1;
CREATE DATABASE hub2;
CREATE DATABASE hub3;
