using SweetGossip.Benchmarks;

// `nodes [topics] [jobs]`: whole-node scenarios over loopback TCP; anything else goes to BenchmarkDotNet.
var json = args.Contains("--json");
int[] Numbers() => args.Skip(1).Where(a => a != "--json").Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
if (args.Length > 0 && args[0] == "nodes")
{
    var numbers = Numbers();
    await NodeScenarios.RunAsync(numbers.Length > 0 ? numbers[0] : 2_000, numbers.Length > 1 ? numbers[1] : 50, json);
    return;
}
// `duplicates [payloads] [peers]`: duplicate asks a relay absorbs per second over loopback TCP.
if (args.Length > 0 && args[0] == "duplicates")
{
    var numbers = Numbers();
    await NodeScenarios.RunDuplicatesAsync(numbers.Length > 0 ? numbers[0] : 2_000, numbers.Length > 1 ? numbers[1] : 8, json);
    return;
}
// `hub [members] [topics]`: a relay hub of 1..9 Akka.Cluster members in this process, peers dialing different members.
if (args.Length > 0 && args[0] == "hub")
{
    var numbers = Numbers();
    await HubScenarios.RunAsync(numbers.Length > 0 ? numbers[0] : 1, numbers.Length > 1 ? numbers[1] : 6_000, json);
    return;
}
if (args.Length > 0 && args[0] == "journal")
{
    await NodeScenarios.RunJournalLatencyAsync(Numbers() is [var n, ..] ? n : 500);
    return;
}
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
