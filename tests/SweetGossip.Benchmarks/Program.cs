using SweetGossip.Benchmarks;

// `nodes [topics] [jobs]`: whole-node scenarios over loopback TCP; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "nodes")
{
    await NodeScenarios.RunAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2_000,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50);
    return;
}
// `duplicates [payloads] [peers]`: duplicate asks a relay absorbs per second over loopback TCP.
if (args.Length > 0 && args[0] == "duplicates")
{
    await NodeScenarios.RunDuplicatesAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2_000,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 8);
    return;
}
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
