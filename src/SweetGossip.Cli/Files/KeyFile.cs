using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Cli.Files;

/// <summary>A node or person's secp256k1 key pair, as a JSON file (keep it private).</summary>
public sealed record KeyFile(string Type, string SecretKey, string PublicKey)
{
    public const string FileType = "sweetgossip-key";

    public static KeyFile From(PrivateKey key) => new(FileType, Hex.Encode(key.ToBytes()), key.PublicKey.ToHex());

    public PrivateKey ToPrivateKey()
    {
        if (Type != FileType)
            throw new CliException($"not a key file (type is '{Type}', expected '{FileType}')");
        var key = PrivateKey.FromHex(SecretKey);
        if (key.PublicKey.ToHex() != PublicKey.ToLowerInvariant())
            throw new CliException("key file is inconsistent: public_key does not belong to secret_key");
        return key;
    }

    public static PrivateKey Load(string path) => JsonFile.Read<KeyFile>(path).ToPrivateKey();
}
