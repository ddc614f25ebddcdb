namespace SweetGossip.Node.Journal;

/// <summary>One event as the <c>event_journal</c> table holds it: serialized before it reaches the writer thread.</summary>
internal sealed record SqliteJournalRow(string PersistenceId, long SequenceNr, byte[] Payload, string Manifest, int SerializerId, long Timestamp);
