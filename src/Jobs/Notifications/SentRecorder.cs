using BatchEngine.Data.Notifications;

namespace BatchEngine.Jobs.Notifications;

/// <summary>
/// Records a batch's sent messages in the ledger by group commit: one recorder per batch writes, in one commit,
/// everything the batch's connections sent since its last commit, while they go on sending. A connection waits only
/// when <c>MarkEvery</c> of its own messages are still unrecorded, so no connection ever has more than that many sent
/// and unrecorded (the bound on repeats after a kill), yet a commit carries up to <c>Parallelism × MarkEvery</c>
/// messages instead of <c>MarkEvery</c> — on PostgreSQL with fsync on, each commit is a disk flush.
/// </summary>
internal sealed class SentRecorder(Func<IReadOnlyCollection<SentMessage>, Task> record, int markEvery)
{
    private readonly object _gate = new();
    private readonly SemaphoreSlim _wake = new(0);
    private List<SentMessage> _pending = [];
    private long _added;
    private long _recorded;
    private bool _finishing;
    private Exception? _failure;
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One connection's view: the sequence numbers of its own messages not yet known to be recorded.</summary>
    public sealed class Connection(SentRecorder recorder)
    {
        private readonly Queue<long> _unrecorded = new();

        /// <summary>Hands a sent message over; returns once this connection has fewer than MarkEvery messages unrecorded.</summary>
        public async Task SentAsync(SentMessage message)
        {
            _unrecorded.Enqueue(recorder.Add(message));
            while (recorder.Forget(_unrecorded) >= recorder._markEvery)
            {
                await recorder.RecordedAsync(_unrecorded.Peek());
            }
        }

        /// <summary>Returns once every message this connection handed over is recorded (or throws why it cannot be).</summary>
        public async Task FlushAsync()
        {
            while (recorder.Forget(_unrecorded) > 0)
            {
                await recorder.RecordedAsync(_unrecorded.Last());
            }
        }
    }

    private readonly int _markEvery = Math.Max(1, markEvery);

    public Connection Open() => new(this);

    /// <summary>Commits whatever is pending, group after group, until <see cref="Finish"/> and nothing is left.</summary>
    public async Task RunAsync()
    {
        while (true)
        {
            await _wake.WaitAsync();
            List<SentMessage> group;
            long upTo;
            lock (_gate)
            {
                if (_pending.Count == 0 && _finishing)
                {
                    return;
                }

                (group, _pending, upTo) = (_pending, [], _added);
            }

            try
            {
                if (group.Count > 0)
                {
                    await record(group);
                }
            }
            catch (Exception e)
            {
                lock (_gate)
                {
                    _failure = e;
                    _progress.TrySetException(e);
                }

                return;
            }

            lock (_gate)
            {
                _recorded = Math.Max(_recorded, upTo);
                var progress = _progress;
                _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                progress.SetResult();
            }
        }
    }

    /// <summary>No more messages will come; the recorder commits what is pending and ends.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            _finishing = true;
        }

        _wake.Release();
    }

    private long Add(SentMessage message)
    {
        long sequence;
        lock (_gate)
        {
            if (_failure is not null)
            {
                throw new InvalidOperationException("Sent messages could not be recorded.", _failure);
            }

            _pending.Add(message);
            sequence = ++_added;
        }

        _wake.Release();
        return sequence;
    }

    /// <summary>Drops the recorded sequence numbers from the front of a connection's queue; returns how many remain.</summary>
    private int Forget(Queue<long> unrecorded)
    {
        lock (_gate)
        {
            while (unrecorded.Count > 0 && unrecorded.Peek() <= _recorded)
            {
                unrecorded.Dequeue();
            }

            return unrecorded.Count;
        }
    }

    private async Task RecordedAsync(long sequence)
    {
        Task progress;
        lock (_gate)
        {
            if (_recorded >= sequence)
            {
                return;
            }

            if (_failure is not null)
            {
                throw new InvalidOperationException("Sent messages could not be recorded.", _failure);
            }

            progress = _progress.Task;
        }

        await progress;
    }
}
