using System.Buffers;
using System.Text;

namespace BatchEngine.Jobs.Import;

/// <summary>
/// What the bytes of a file without a UTF-16 byte order mark hold, read chunk by chunk: how many multi-byte UTF-8
/// characters and how many byte sequences that are not UTF-8, where the first of those and the first control byte
/// stand (line and byte offset). Text that is plain ASCII is skipped at vector speed.
/// </summary>
internal sealed class ByteScan
{
    // Printable ASCII and the three control bytes a text file has.
    private static readonly SearchValues<byte> Plain = SearchValues.Create([(byte)'\t', (byte)'\n', (byte)'\r', .. Enumerable.Range(0x20, 0x60).Select(b => (byte)b)]);

    private long _lines;

    public long MultiByte { get; private set; }
    public long Invalid { get; private set; }
    public (long Line, long Offset)? FirstInvalid { get; private set; }
    public (long Line, int Code)? FirstControl { get; private set; }
    public long? FirstNulLine { get; private set; }

    /// <summary>
    /// Reads <paramref name="chunk"/>, which starts at byte <paramref name="offset"/> of the file; returns how many bytes
    /// at its end were left unread because they begin a character the next chunk completes (none when <paramref name="final"/>).
    /// </summary>
    public int Feed(ReadOnlySpan<byte> chunk, long offset, bool final)
    {
        var at = 0;
        while (at < chunk.Length)
        {
            var next = chunk[at..].IndexOfAnyExcept(Plain);
            if (next < 0)
            {
                break;
            }

            var i = at + next;
            var b = chunk[i];
            if (b < 0x80)
            {
                FirstControl ??= (LineAt(chunk, i), b);
                FirstNulLine ??= b == 0 ? LineAt(chunk, i) : null;
                at = i + 1;
                continue;
            }

            var status = Rune.DecodeFromUtf8(chunk[i..], out _, out var consumed);
            if (status == OperationStatus.NeedMoreData && !final)
            {
                _lines += chunk[..i].Count((byte)'\n');
                return chunk.Length - i;
            }

            if (status == OperationStatus.Done)
            {
                MultiByte++;
            }
            else
            {
                Invalid++;
                FirstInvalid ??= (LineAt(chunk, i), offset + i);
            }

            at = i + Math.Max(consumed, 1);
        }

        _lines += chunk.Count((byte)'\n');
        return 0;
    }

    private long LineAt(ReadOnlySpan<byte> chunk, int index) => 1 + _lines + chunk[..index].Count((byte)'\n');
}
