namespace SweetGossip.Simulation.Topology;

/// <summary>Which generator a <see cref="TopologySpec"/> asks for.</summary>
public enum TopologyKind
{
    RandomRegular,
    ErdosRenyi,
    BarabasiAlbert,
    WattsStrogatz,
    Geographic,
    EdgeListFile,
}
