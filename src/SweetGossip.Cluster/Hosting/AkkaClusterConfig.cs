using System.Globalization;
using Akka.Configuration;
using SweetGossip.Cluster.Serialization;

namespace SweetGossip.Cluster.Hosting;

/// <summary>The Akka settings a hub member runs with, built from validated <see cref="HubClusterSettings"/>.</summary>
internal static class AkkaClusterConfig
{
    /// <summary>
    /// The serializer bindings alone (also what a test over plain Akka.Remote needs): hub messages in protobuf by
    /// manifest, and the JSON serializer replaced by one that refuses, so no member writes or reads type-named JSON.
    /// </summary>
    public static readonly string SerializationHocon = $$"""
        akka.actor {
          serializers {
            json = "{{typeof(UnboundMessageSerializer).FullName}}, {{typeof(UnboundMessageSerializer).Assembly.GetName().Name}}"
            sweetgossip-hub = "{{typeof(HubMessageSerializer).FullName}}, {{typeof(HubMessageSerializer).Assembly.GetName().Name}}"
          }
          serialization-bindings {
            "{{typeof(IHubMessage).FullName}}, {{typeof(IHubMessage).Assembly.GetName().Name}}" = sweetgossip-hub
          }
        }
        """;

    /// <summary>
    /// Every member carries this role and sharding runs on it. The sharding coordinator answers no shard-home request
    /// until as many regions registered as the minimum members *of its role*; for the cluster-wide minimum that wait
    /// starts over each time the coordinator moves, so with min-nr-of-members equal to the hub size a hub that lost a
    /// member would stop answering claims. Its own role's minimum stays 1.
    /// </summary>
    public const string MemberRole = "hub-member";

    public static Config For(HubClusterSettings s)
    {
        var publicHost = s.PublicHostname is { } advertised ? $"public-hostname = \"{advertised}\"" : "";
        var roles = string.Join(", ", s.Roles.Append(MemberRole).Distinct().Select(r => $"\"{r}\""));
        var hocon = $$"""
            akka {
              actor.provider = cluster
              remote.dot-netty.tcp {
                hostname = "{{s.Hostname}}"
                {{publicHost}}
                port = {{s.Port}}
              }
              cluster {
                roles = [{{roles}}]
                min-nr-of-members = {{s.MinNrOfMembers}}
                # Keep-majority: on a partition the side with more members stays and downs the rest; on a tie the side
                # with the lowest address stays. A hub's members are equals, so no static quorum or oldest rule fits better.
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = keep-majority
                  stable-after = {{Seconds(s.SplitBrainStableAfter)}}
                }
                run-coordinated-shutdown-when-down = on
                sharding {
                  # Coordinator state in distributed data: no journal needed for it, and it moves with the coordinator.
                  role = "{{MemberRole}}"
                  state-store-mode = ddata
                  remember-entities = off
                  # Claims passivate themselves when they expire; an idle timer would forget a live claim.
                  passivate-idle-entity-after = off
                }
                pub-sub.gossip-interval = {{Seconds(s.PeerLinkGossipInterval)}}
              }
              # A process exit (SIGTERM) leaves the cluster first: shards hand over, then the member is removed.
              coordinated-shutdown {
                run-by-clr-shutdown-hook = on
                exit-clr = off
              }
            }
            """;
        return ConfigurationFactory.ParseString(hocon).WithFallback(ConfigurationFactory.ParseString(SerializationHocon));
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
