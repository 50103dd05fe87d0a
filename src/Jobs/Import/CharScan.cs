using System.Text;

namespace BatchEngine.Jobs.Import;

/// <summary>
/// A UTF-16 file read chunk by chunk through a strict decoder: where its first invalid bytes and its first control
/// character stand (a NUL byte is an ordinary half of a UTF-16 character, so the check is on characters).
/// </summary>
internal sealed class CharScan(Encoding encoding)
{
    private readonly Decoder _decoder = encoding.GetDecoder();
    private char[] _chars = [];
    private long _lines;

    public (long Line, long Offset)? FirstInvalid { get; private set; }
    public (long Line, int Code)? FirstControl { get; private set; }

    public void Feed(ReadOnlySpan<byte> chunk, long offset, bool final)
    {
        if (FirstInvalid is not null)
        {
            return;
        }

        try
        {
            var count = _decoder.GetCharCount(chunk, final);
            if (_chars.Length < count)
            {
                _chars = new char[count];
            }

            var chars = _chars.AsSpan(0, _decoder.GetChars(chunk, _chars, final));
            if (FirstControl is null && FindControl(chars) is var control and >= 0)
            {
                FirstControl = (1 + _lines + chars[..control].Count('\n'), chars[control]);
            }

            _lines += chars.Count('\n');
        }
        catch (DecoderFallbackException e)
        {
            var at = Math.Clamp(e.Index, 0, chunk.Length);
            FirstInvalid = (1 + _lines + encoding.GetString(chunk[..(at & ~1)]).Count('\n'), offset + at);
        }
    }

    private static int FindControl(ReadOnlySpan<char> chars)
    {
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] < ' ' && chars[i] is not ('\t' or '\n' or '\r'))
            {
                return i;
            }
        }

        return -1;
    }
}
