using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SweetGossip.Lightning.Bolt11;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Benchmarks;

// secp256k1 as the protocol uses it (libsecp256k1 through Secp256k1.Net): BIP-340, ECDH, sealed boxes, and
// BOLT 11's recoverable ECDSA. ops/s = 1e9 / Mean(ns). Only public API, so the same file also measures
// earlier implementations (the before/after table in docs/benchmarks.md).
//   dotnet run -c Release --project tests/SweetGossip.Benchmarks -- --filter '*CryptoBenchmarks*' --job short
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private readonly PrivateKey _key = PrivateKey.FromHex("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef");
    private readonly PrivateKey _peer = PrivateKey.FromHex("c90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b14e5c9");
    private readonly byte[] _message = TaggedHash.Compute("bench", "message"u8);
    private readonly byte[] _aux = new byte[32];
    private readonly byte[] _plaintext = new byte[256];
    private readonly byte[] _invoiceHash = SHA256.HashData("invoice"u8);
    private byte[] _nodeKey = null!;
    private byte[] _signature = null!;
    private byte[] _sealed = null!;
    private byte[] _ecdsa = null!;
    private int _recoveryId;
    private Bolt11Invoice _invoice = null!;
    private string _invoiceString = null!;

    [GlobalSetup]
    public void Setup()
    {
        _signature = Schnorr.Sign(_key, _message, _aux);
        _sealed = SealedBox.Seal(_key.PublicKey, _plaintext, default);
        _nodeKey = _key.ToBytes();
        (_ecdsa, _recoveryId) = RecoverableEcdsa.SignRecoverable(_invoiceHash, _nodeKey);
        _invoice = new Bolt11Invoice
        {
            Network = LightningNetwork.Regtest,
            AmountMsat = 1_000_000,
            Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            PaymentHash = SHA256.HashData("preimage"u8),
            PaymentSecret = new byte[32],
            Description = "bench",
            Features = Bolt11Features.Of(8, 14),
        };
        _invoiceString = Bolt11Codec.Encode(_invoice, _nodeKey);
    }

    [Benchmark]
    public byte[] SchnorrSign() => Schnorr.Sign(_key, _message, _aux);

    // With a PublicKey already parsed, as a relay holds the keys it has met.
    [Benchmark]
    public bool SchnorrVerify() => Schnorr.Verify(_key.PublicKey, _message, _signature);

    [Benchmark]
    public byte[] EcdhSharedSecret() => Ecdh.SharedSecret(_key, _peer.PublicKey);

    [Benchmark]
    public byte[] SealedBoxSeal256() => SealedBox.Seal(_key.PublicKey, _plaintext, default);

    [Benchmark]
    public byte[] SealedBoxOpen256() => SealedBox.Open(_key, _sealed, default);

    // BOLT 11's signature alone, then a whole signed invoice string (fields, bech32, signature), then reading
    // one back (bech32, fields, public-key recovery).
    [Benchmark]
    public (byte[], int) EcdsaSignRecoverable() => RecoverableEcdsa.SignRecoverable(_invoiceHash, _nodeKey);

    [Benchmark]
    public byte[]? EcdsaRecover() => RecoverableEcdsa.Recover(_invoiceHash, _ecdsa, _recoveryId);

    [Benchmark]
    public string Bolt11EncodeSigned() => Bolt11Codec.Encode(_invoice, _nodeKey);

    [Benchmark]
    public Bolt11Invoice Bolt11Decode() => Bolt11Codec.Decode(_invoiceString);
}
