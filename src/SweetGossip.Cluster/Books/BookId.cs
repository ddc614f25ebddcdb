using System.Text.RegularExpressions;

namespace SweetGossip.Cluster.Books;

/// <summary>A book's id: it names a shard, an entity and a persistence id, so it is short and plain.</summary>
public static partial class BookId
{
    public const int MaxLength = 100;

    /// <summary>The book of the member at this Akka address: host and port, stable as long as the member's config is.</summary>
    public static string Of(Akka.Actor.Address member) =>
        Check($"{member.Host}-{member.Port}".Replace(':', '-'));

    /// <exception cref="ArgumentException">Not 1..100 of letters, digits, '.', '-', '_'.</exception>
    public static string Check(string bookId) =>
        bookId.Length is > 0 and <= MaxLength && Plain().IsMatch(bookId)
            ? bookId
            : throw new ArgumentException($"book id '{(bookId.Length > MaxLength ? bookId[..MaxLength] + "…" : bookId)}' must be 1..{MaxLength} of letters, digits, '.', '-', '_'", nameof(bookId));

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex Plain();
}
