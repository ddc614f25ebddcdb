using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Tests.Support;

/// <summary>Real Lightning node ids (compressed public keys of real private keys), as a Lightning node would announce.</summary>
public static class LightningNodeIds
{
    public static Bytes Of(byte[] privateKey32) => Bytes.Copy(RecoverableEcdsa.GetPublicKey(privateKey32));

    public static Bytes Of(PrivateKey key) => Of(key.ToBytes());

    /// <summary>A fresh node id whose point has the y parity this prefix (02 even, 03 odd) stands for.</summary>
    public static Bytes WithPrefix(byte prefix)
    {
        while (true)
        {
            var id = Of(PrivateKey.Generate());
            if (id.Span[0] == prefix) return id;
        }
    }
}
