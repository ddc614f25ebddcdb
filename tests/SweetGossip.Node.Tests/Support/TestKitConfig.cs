namespace SweetGossip.Node.Tests.Support;

/// <summary>
/// TestKit expectations wait up to this long: generous, because CI's two cores may be busy with other
/// test assemblies. A probe returns as soon as the message arrives, so this costs nothing when green.
/// </summary>
public static class TestKitConfig
{
    public const string Hocon = "akka.test.single-expect-default = 20s";
}
