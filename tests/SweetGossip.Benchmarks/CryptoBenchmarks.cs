using BenchmarkDotNet.Attributes;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Benchmarks;

// BIP-340 Schnorr on BouncyCastle's secp256k1. ops/s = 1e9 / Mean(ns).
//   dotnet run -c Release --project tests/SweetGossip.Benchmarks -- --filter '*CryptoBenchmarks*' --job short
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private readonly PrivateKey _key = PrivateKey.FromHex("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef");
    private readonly byte[] _message = TaggedHash.Compute("bench", "message"u8);
    private readonly byte[] _aux = new byte[32];
    private byte[] _signature = null!;
    private byte[] _sealed = null!;
    private readonly byte[] _plaintext = new byte[256];

    [GlobalSetup]
    public void Setup()
    {
        _signature = Schnorr.Sign(_key, _message, _aux);
        _sealed = SealedBox.Seal(_key.PublicKey, _plaintext, default);
    }

    [Benchmark]
    public byte[] SchnorrSign() => Schnorr.Sign(_key, _message, _aux);

    [Benchmark]
    public bool SchnorrVerify() => Schnorr.Verify(_key.PublicKey, _message, _signature);

    [Benchmark]
    public byte[] SealedBoxSeal256() => SealedBox.Seal(_key.PublicKey, _plaintext, default);

    [Benchmark]
    public byte[] SealedBoxOpen256() => SealedBox.Open(_key, _sealed, default);
}
