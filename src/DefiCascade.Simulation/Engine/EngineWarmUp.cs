using System.Diagnostics;
using DefiCascade.Simulation.Scenarios;
using DefiCascade.Simulation.Synthetic;

namespace DefiCascade.Simulation.Engine;

/// <summary>
/// A small synthetic cascade run on a background thread and thrown away, so that the runtime has compiled
/// the engine's hot code to its optimized tier by the time a real run starts. <c>simulate</c> starts one
/// while a large snapshot loads (seconds of work on the main thread, with the second core mostly idle):
/// a fresh process otherwise runs the first ~0.4 s of a 1M-position cascade on unoptimized code.
/// Nothing it computes is kept or shared: engines are independent (Monte Carlo runs several at once),
/// and a run's result does not depend on which tier of code computed it.
/// </summary>
public sealed class EngineWarmUp : IDisposable
{
    /// <summary>The synthetic book: large enough that every pass, the competition order and the exact pricing run hundreds of times.</summary>
    public const int Positions = 20_000;

    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private volatile int _blocks;
    private TimeSpan _elapsed;
    private bool _disposed;

    private EngineWarmUp()
    {
        _thread = new Thread(Work) { IsBackground = true, Name = "engine warm-up" };
        _thread.Start();
    }

    /// <summary>Blocks of the synthetic cascade that ran (300 when it finished before it was stopped).</summary>
    public int Blocks => _blocks;

    /// <summary>True when the synthetic cascade ran to its end.</summary>
    public bool Finished { get; private set; }

    /// <summary>How long it ran (until it finished or was stopped).</summary>
    public TimeSpan Elapsed => _elapsed;

    /// <summary>Why it ended early, other than being stopped (it never throws to its owner); null otherwise.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>ETH −30% in 300 blocks on the synthetic book, no settle blocks: the benchmark's crash, so the same passes run.</summary>
    public static Scenario WarmUpScenario { get; } = Scenario.Default with
    {
        Name = "warm-up",
        DurationBlocks = 300,
        DriverPath = [new PathPoint(0, Wad.One), new PathPoint(300, Wad.FromDecimal("0.7"))],
        MaxSettleBlocks = 0,
    };

    public static EngineWarmUp Start() => new();

    /// <summary>Waits for the synthetic run to end by itself; false when it is still running after <paramref name="timeout"/>.</summary>
    public bool Wait(TimeSpan timeout) => _thread.Join(timeout);

    /// <summary>Stops the synthetic run at its next block and waits for the thread, so the real run has both cores.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }

    private void Work()
    {
        try
        {
            var market = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = Positions });
            var engine = new CascadeEngine(market, WarmUpScenario, seed: 1);
            engine.Run(new InlineProgress<RunProgress>(p => _blocks = p.Block), _stop.Token);
            Finished = true;
        }
        catch (OperationCanceledException)
        {
            // Stopped because the real run is about to start.
        }
        catch (Exception e)
        {
            Failure = e;
        }
        finally
        {
            _elapsed = _clock.Elapsed;
        }
    }
}
