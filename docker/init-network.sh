#!/bin/sh
# Writes, once, everything the compose network needs into /net, with `sgossip devnet write` (the files
# `sgossip devnet up` writes, for hosts named after the compose services):
#   - an authority (authority.ca);
#   - the relay hub hub1..hub3: one Akka.Cluster, ONE identity key and certificate copied into each member's folder,
#     each member its own config (peers on hubN:9735, cluster on hubN:4053, seed-nodes = all three, hub1 first);
#   - node1 (rider) .. node5 (taxi driver): each lists the hub at all three members (the order rotated per node, so
#     the nodes spread over the members) and dials the node before it;
#   - /net/<name>/node.conf per process; every node reaches the Lightning hub at http://lightning-hub:9737 with the
#     token it writes into /net/lightning-hub/hub.token.
# Then points each member's journal, and the Lightning hub's, at its own database in the `postgres` service
# (docker/postgres/init.sql creates them). Nodes keep their SQLite journal in /net/<name>/data.
set -eu
cd /net
if [ -f node5/node.conf ]; then
  echo "network already initialised in /net"
  exit 0
fi
: "${POSTGRES_PASSWORD:?the compose file passes the PostgreSQL password}"

sgossip() { dotnet /app/sgossip.dll "$@"; }

sgossip devnet write --nodes 5 --hub-members 3 --dir /net --lightning-hub http://lightning-hub:9737

# Both blocks name one database; the connection string holds the password: owner-only files.
journal() {
  connection="Host=postgres;Username=sweetgossip;Password=$POSTGRES_PASSWORD;Database=$1"
  printf '%s\n' \
    "# The journal in PostgreSQL (database $1 in the postgres service), written by init-network.sh." \
    "akka.persistence.journal.sql { provider-name = \"PostgreSQL.15\", table-mapping = postgresql, connection-string = \"$connection\" }" \
    "akka.persistence.snapshot-store.sql { provider-name = \"PostgreSQL.15\", table-mapping = postgresql, connection-string = \"$connection\" }"
}

for member in hub1 hub2 hub3; do
  chmod 600 "$member/node.conf"
  journal "$member" >> "$member/node.conf"
done
umask 077
journal lightning > lightning-hub.conf
echo "initialised a 3-member relay hub and five nodes in /net"
