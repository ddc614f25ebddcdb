using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Native = Secp256k1Net.Secp256k1;

namespace SweetGossip.Protocol.Crypto;

/// <summary>
/// The process's one libsecp256k1 context (bitcoin-core's library, shipped for each platform inside the
/// Secp256k1.Net package). Every secp256k1 operation of the project goes through it.
/// </summary>
/// <remarks>
/// One shared context, not one per thread: libsecp256k1 documents a context as safe to use from many
/// threads at once as long as nobody mutates it, and only <c>context_randomize</c>, the callback setters
/// and <c>context_destroy</c> mutate one. All three happen here, once, before the context is published, so
/// signing, verification and ECDH on any thread need no lock. (Secp256k1.Net's static helpers use a
/// context per thread instead, never randomized and never freed; actors hop threads, so that would
/// mean one unblinded context per pool thread.)
/// Randomization blinds the fixed-base multiplication used for signing and key derivation against side
/// channels; it does not change any result, so seeded simulations still repeat byte for byte.
/// </remarks>
public static class Secp256k1Library
{
    private static readonly Loaded? State;
    private static readonly string? Error;

    static Secp256k1Library()
    {
        try
        {
            State = Load();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Error = $"libsecp256k1 (package Secp256k1.Net) cannot be used on this platform, {Platform}: {OneLine(e)}";
        }
    }

    /// <summary>The running platform as the native package names it: OS description, process architecture, runtime id.</summary>
    public static string Platform =>
        $"{RuntimeInformation.OSDescription.Trim()} {RuntimeInformation.ProcessArchitecture} ({RuntimeInformation.RuntimeIdentifier})";

    /// <summary>Null when the native library is loaded and its context ready, else the one-line reason.</summary>
    public static string? LoadError => Error;

    /// <summary>
    /// Fails fast, with one line naming the platform, when the native library cannot be loaded: called at
    /// start (the CLI, tests) so the failure is not met later deep inside a handshake.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">The native library did not load.</exception>
    public static void EnsureLoaded()
    {
        if (Error is not null) throw new PlatformNotSupportedException(Error);
    }

    /// <summary>The shared, randomized context.</summary>
    internal static Native Context => (State ?? throw new PlatformNotSupportedException(Error)).Context;

    /// <summary>The raw context pointer and <c>secp256k1_ecdh</c>, for the one call the wrapper cannot make safely (see <see cref="Ecdh"/>).</summary>
    internal static (nint Context, nint EcdhFunction) EcdhEntry
    {
        get
        {
            var state = State ?? throw new PlatformNotSupportedException(Error);
            return (state.ContextPointer, state.EcdhFunction);
        }
    }

    private static unsafe Loaded Load()
    {
        var context = new Native();
        var contextPointer = ContextPointerOf(context);

        // The wrapper loaded the library by this name; loading it again returns the same module.
        var library = NativeLibrary.Load(
            Native.LibPath, typeof(Native).Assembly, DllImportSearchPath.ApplicationDirectory | DllImportSearchPath.AssemblyDirectory);
        var randomize = (delegate* unmanaged[Cdecl]<nint, byte*, int>)NativeLibrary.GetExport(library, "secp256k1_context_randomize");
        var ecdh = NativeLibrary.GetExport(library, "secp256k1_ecdh");

        // The seed only blinds; it comes from the system generator, never from a simulation's seeded one.
        Span<byte> seed = stackalloc byte[32];
        RandomNumberGenerator.Fill(seed);
        try
        {
            fixed (byte* seedPointer = seed)
            {
                if (randomize(contextPointer, seedPointer) != 1)
                    throw new CryptographicException("secp256k1_context_randomize failed");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }

        return new Loaded(context, contextPointer, ecdh);
    }

    // Secp256k1.Net 2.0.0 keeps its context pointer private and wraps neither context_randomize nor a
    // hash function that outlives the call; the field is read once, and a missing field fails the load
    // (a package update that renames it is caught by the tests, not by a node in the field).
    private static nint ContextPointerOf(Native context)
    {
        var field = typeof(Native).GetField("_ctx", BindingFlags.NonPublic | BindingFlags.Instance)
                    ?? throw new MissingFieldException("Secp256k1.Net no longer has the context field this version reads (_ctx)");
        var pointer = field.GetValue(context) is nint value ? value : 0;
        return pointer != 0 ? pointer : throw new InvalidOperationException("Secp256k1.Net returned no context");
    }

    private static string OneLine(Exception e)
    {
        var innermost = e;
        while (innermost is TypeInitializationException { InnerException: { } inner }) innermost = inner;
        return string.Join("; ", innermost.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private sealed record Loaded(Native Context, nint ContextPointer, nint EcdhFunction);
}
