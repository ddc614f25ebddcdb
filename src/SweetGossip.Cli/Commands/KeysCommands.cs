using System.CommandLine;
using System.Text;
using SweetGossip.Cli.Files;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Cli.Commands;

/// <summary>`sgossip keys new|sign|verify`: BIP-340 keys and message signatures.</summary>
internal static class KeysCommands
{
    public static Command Build()
    {
        var keys = new Command("keys", "secp256k1 keys and BIP-340 message signatures");
        keys.Subcommands.Add(New());
        keys.Subcommands.Add(Sign());
        keys.Subcommands.Add(Verify());
        return keys;
    }

    private static Command New()
    {
        var output = Options.Required<string>("--out", "Where to write the key file (JSON, keep it private)");
        var command = Options.Command("new", "Create a new key pair", output);
        command.SetAction(parse =>
        {
            var ctx = CliContext.From(parse);
            var path = parse.GetValue(output)!;
            if (File.Exists(path))
                throw new CliException($"{path} already exists; refusing to overwrite a key");
            JsonFile.EnsureWritable(path, replaceableType: null);
            var key = PrivateKey.Generate();
            JsonFile.WriteSecret(path, KeyFile.From(key), replace: false);
            ctx.Write(new { PublicKey = key.PublicKey.ToHex(), File = path }, key.PublicKey.ToHex());
            return 0;
        });
        return command;
    }

    private static Command Sign()
    {
        var keyFile = Options.Required<string>("--key", "Key file");
        var message = Options.Required<string>("--message", "Text to sign (UTF-8)");
        var command = Options.Command("sign", "Sign a message (BIP-340 over the tagged hash 'SweetGossip/message')", keyFile, message);
        command.SetAction(parse =>
        {
            var ctx = CliContext.From(parse);
            var key = KeyFile.Load(parse.GetValue(keyFile)!);
            var signature = DomainSignature.Sign(key, SignatureDomains.Message, Encoding.UTF8.GetBytes(parse.GetValue(message)!));
            ctx.Write(new { PublicKey = key.PublicKey.ToHex(), Signature = Hex.Encode(signature) }, Hex.Encode(signature));
            return 0;
        });
        return command;
    }

    private static Command Verify()
    {
        var publicKey = Options.Required<string>("--public-key", "Signer's x-only public key (64 hex digits)");
        var signature = Options.Required<string>("--signature", "Signature (128 hex digits)");
        var message = Options.Required<string>("--message", "The signed text (UTF-8)");
        var command = Options.Command("verify", "Verify a message signature; exit code 1 if it does not verify", publicKey, signature, message);
        command.SetAction(parse =>
        {
            var ctx = CliContext.From(parse);
            var key = Options.PublicKeyHex(parse.GetValue(publicKey)!, "--public-key");
            var sig = Options.HexBytes(parse.GetValue(signature)!, Schnorr.SignatureLength, "--signature");
            var valid = DomainSignature.Verify(key, SignatureDomains.Message, Encoding.UTF8.GetBytes(parse.GetValue(message)!), sig);
            ctx.Write(new { Valid = valid }, valid ? "valid" : "invalid: signature does not verify for this key and message");
            return valid ? 0 : 1;
        });
        return command;
    }
}
