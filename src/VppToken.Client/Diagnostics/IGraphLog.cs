namespace IntuneVpp.Client.Diagnostics
{
    /// <summary>
    /// Where the client layer tells what it does. The PowerShell layer routes it to -Verbose and -Debug.
    /// Nothing written here may contain a secret: callers pass only redacted text.
    /// </summary>
    public interface IGraphLog
    {
        void Verbose(string message);

        void Debug(string message);

        /// <summary>Something the caller should know although the work went on, such as a value that had to be dropped.</summary>
        void Warning(string message);
    }

    /// <summary>A log that drops everything.</summary>
    public sealed class NullGraphLog : IGraphLog
    {
        public static readonly NullGraphLog Instance = new();

        public void Verbose(string message)
        {
        }

        public void Debug(string message)
        {
        }

        public void Warning(string message)
        {
        }
    }
}
