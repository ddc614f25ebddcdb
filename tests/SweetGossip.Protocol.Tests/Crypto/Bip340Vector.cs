using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Tests.Crypto;

/// <summary>One row of the official BIP-340 test vector CSV.</summary>
public sealed record Bip340Vector(
    int Index,
    byte[]? SecretKey,
    byte[] PublicKey,
    byte[]? AuxRand,
    byte[] Message,
    byte[] Signature,
    bool Expected,
    string Comment)
{
    private static readonly Lazy<IReadOnlyList<Bip340Vector>> Vectors = new(Load);

    public static IReadOnlyList<Bip340Vector> All => Vectors.Value;

    public static TheoryData<int> AllIndexes() => new(All.Select(v => v.Index));

    public static TheoryData<int> SigningIndexes() =>
        new(All.Where(v => v.SecretKey is not null).Select(v => v.Index));

    public static Bip340Vector Get(int index) => All.Single(v => v.Index == index);

    public override string ToString() => $"vector {Index} ({Comment})";

    private static IReadOnlyList<Bip340Vector> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Crypto", "bip340-test-vectors.csv");
        return File.ReadLines(path)
            .Skip(1)
            .Where(line => line.Length > 0)
            .Select(Parse)
            .ToList();
    }

    // index,secret key,public key,aux_rand,message,signature,verification result,comment
    private static Bip340Vector Parse(string line)
    {
        var f = line.Split(',', 8);
        Assert.Equal(8, f.Length);
        return new Bip340Vector(
            int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture),
            f[1].Length == 0 ? null : Hex.Decode(f[1]),
            Hex.Decode(f[2]),
            f[3].Length == 0 ? null : Hex.Decode(f[3]),
            Hex.Decode(f[4]),
            Hex.Decode(f[5]),
            f[6] switch
            {
                "TRUE" => true,
                "FALSE" => false,
                _ => throw new FormatException($"bad verification result '{f[6]}'"),
            },
            f[7]);
    }
}
