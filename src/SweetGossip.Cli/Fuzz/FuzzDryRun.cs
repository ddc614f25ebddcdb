namespace SweetGossip.Cli.Fuzz;

/// <summary>`sgossip fuzz --dry-run`: what a run would send, planned without connecting anywhere.</summary>
public sealed record FuzzDryRun(long FramesPlanned, int Shots, int Seed, long Epoch, string PlanDigest, IReadOnlyDictionary<string, int> Mutations);
