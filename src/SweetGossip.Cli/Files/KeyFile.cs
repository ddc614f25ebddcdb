using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Cli.Files;

/// <summary>A node or person's secp256k1 key pair, as a JSON file (keep it private).</summary>
/// <remarks>Fields are nullable because a hand-edited file may lack them; <see cref="Problem"/> reports that.</remarks>
public sealed record KeyFile(string? Type, string? SecretKey, string? PublicKey) : ICheckedFile
{
    public const string FileType = "sweetgossip-key";

    public static KeyFile From(PrivateKey key) => new(FileType, Hex.Encode(key.ToBytes()), key.PublicKey.ToHex());

    public string? Problem() =>
        JsonFile.CheckType(Type, FileType) ?? JsonFile.Missing(("secret_key", SecretKey), ("public_key", PublicKey));

    /// <summary>Reads, checks and returns the key, naming <paramref name="path"/> in every error.</summary>
    public static PrivateKey Load(string path)
    {
        var file = JsonFile.Read<KeyFile>(path, "key");
        PrivateKey key;
        try
        {
            key = PrivateKey.FromHex(file.SecretKey!);
        }
        catch (CryptoFormatException e)
        {
            throw new CliException($"{path}: secret_key: {e.Message}");
        }

        if (!string.Equals(key.PublicKey.ToHex(), file.PublicKey, StringComparison.OrdinalIgnoreCase))
            throw new CliException($"{path}: key file is inconsistent: public_key does not belong to secret_key");
        return key;
    }
}
