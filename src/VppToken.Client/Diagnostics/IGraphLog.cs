namespace IntuneVpp.Client.Diagnostics
{
    /// <summary>
    /// Where the client layer tells what it does. The PowerShell layer routes it to -Verbose and -Debug.
    /// Nothing written here may contain a secret: callers pass only redacted text.
    /// </summary>
    public interface IGraphLog
    {
        /// <summary>
        /// Whether a verbose line written here is seen by anyone. When it is not, the client skips the work of writing
        /// it (and the PowerShell layer the hand-off to the pipeline thread).
        /// </summary>
        bool IsVerboseEnabled { get; }

        /// <summary>Whether a debug line is seen. When it is not, request and response bodies are not redacted for it.</summary>
        bool IsDebugEnabled { get; }

        void Verbose(string message);

        void Debug(string message);

        /// <summary>Something the caller should know although the work went on, such as a value that had to be dropped.</summary>
        void Warning(string message);
    }

    /// <summary>A log that drops everything.</summary>
    public sealed class NullGraphLog : IGraphLog
    {
        public static readonly NullGraphLog Instance = new();

        public bool IsVerboseEnabled => false;

        public bool IsDebugEnabled => false;

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
