using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Pow;
using SweetGossip.Node.Tests.Support;

namespace SweetGossip.Node.Tests.Pow;

/// <summary>A simulator node's PoW worker without an actor answers as the worker actor does (issue 13 item 3).</summary>
public class PowWorkerRefTests() : TestKit(NodeConfig.Reference.WithFallback(ConfigurationFactory.ParseString(TestKitConfig.Hocon)))
{
    /// <summary>Random challenges and difficulties, with jobs of ended topics and expired favours among them.</summary>
    private static List<SolvePow> Jobs(CancellationToken ended)
    {
        var random = new Random(13);
        var jobs = new List<SolvePow>();
        for (var i = 0; i < 40; i++)
        {
            var challenge = new byte[32];
            random.NextBytes(challenge);
            jobs.Add((i % 10) switch
            {
                3 => new SolvePow(challenge, 60, i) { Cancel = ended },
                7 => new SolvePow(challenge, 8, i) { Until = DateTimeOffset.UtcNow.AddMinutes(-1) },
                _ => new SolvePow(challenge, random.Next(0, 14), i) { Until = DateTimeOffset.UtcNow.AddHours(1) },
            });
        }
        return jobs;
    }

    /// <summary>
    /// A job the solver refuses (a 31-byte challenge) threw out of the worker reference's run, which then never ran again:
    /// every later job of that simulated node went unanswered (security review). It is answered as abandoned, and the next
    /// job is solved.
    /// </summary>
    [Fact]
    public void A_job_the_solver_refuses_is_answered_and_the_next_job_still_runs()
    {
        var queue = new PowQueue(4);
        var worker = new PowWorkerRef(Sys, TestActor.Path, queue, TimeProvider.System);
        Assert.True(queue.TryEnter() && queue.TryEnter());
        worker.Tell(new SolvePow(new byte[31], 4, "bad"), TestActor);
        worker.Tell(new SolvePow(new byte[32], 4, "good"), TestActor);
        Assert.Equal("bad", ExpectMsg<PowAbandoned>().Correlation);
        Assert.Equal("good", ExpectMsg<PowSolved>().Correlation);
        AwaitCondition(() => queue.Count == 0);
    }

    [Fact]
    public void Every_job_gets_the_answer_the_worker_actor_gives_in_the_order_told_and_frees_its_place()
    {
        using var ended = new CancellationTokenSource();
        ended.Cancel();
        var jobs = Jobs(ended.Token);
        var (actorQueue, refQueue) = (new PowQueue(jobs.Count), new PowQueue(jobs.Count));
        var actor = Sys.ActorOf(PowWorker.Pool(1, actorQueue, TimeProvider.System));
        var worker = new PowWorkerRef(Sys, TestActor.Path, refQueue, TimeProvider.System);
        var (fromActor, fromRef) = (CreateTestProbe(), CreateTestProbe());

        foreach (var job in jobs)
        {
            Assert.True(actorQueue.TryEnter() && refQueue.TryEnter());
            actor.Tell(job, fromActor.Ref);
            worker.Tell(job, fromRef.Ref);
        }

        foreach (var job in jobs)
        {
            var expected = fromActor.ExpectMsg<object>();
            var answer = fromRef.ExpectMsg<object>();
            Assert.Equal(expected, answer);
            Assert.Equal(job.Correlation, answer switch { PowSolved s => s.Correlation, PowAbandoned a => a.Correlation, _ => null });
            Assert.Same(worker, fromRef.LastSender);
        }
        Assert.Equal(8, jobs.Count(j => j.Cancel.IsCancellationRequested || j.Until < DateTimeOffset.UtcNow)); // abandoned ones were in it
        AwaitCondition(() => actorQueue.Count == 0 && refQueue.Count == 0);
    }

    [Fact]
    public void Anything_but_a_job_is_a_dead_letter_and_a_path_is_made_only_when_asked_for()
    {
        var worker = new PowWorkerRef(Sys, TestActor.Path, null, TimeProvider.System);
        Sys.EventStream.Subscribe(TestActor, typeof(Akka.Event.DeadLetter));

        worker.Tell("not a job", TestActor);

        Assert.Equal("not a job", ExpectMsg<Akka.Event.DeadLetter>().Message);
        Assert.Equal(TestActor.Path / "pow", worker.Path);
        Assert.True(worker.Equals(worker));
        Assert.False(worker.Equals(new PowWorkerRef(Sys, TestActor.Path, null, TimeProvider.System)));
    }
}
