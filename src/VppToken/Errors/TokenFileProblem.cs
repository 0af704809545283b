namespace IntuneVpp.Errors
{
    /// <summary>
    /// Why a token file cannot be sent, as the one token-file check (TokenFiles.Check) finds it: the file cannot be
    /// read or is not a token file, or it has expired. The caller turns it into a terminating or a pipeline error.
    /// </summary>
    internal sealed class TokenFileProblem
    {
        private TokenFileProblem(string path, AppleVppTokenFileException? unusable, AppleVppTokenFile? expired)
        {
            Path = path;
            Unusable = unusable;
            Expired = expired;
        }

        /// <summary>The file system path the check read.</summary>
        public string Path { get; }

        /// <summary>Why the file could not be read as a token file; null when it was read.</summary>
        public AppleVppTokenFileException? Unusable { get; }

        /// <summary>The file, read, whose token has expired; null when it could not be read.</summary>
        public AppleVppTokenFile? Expired { get; }

        public static TokenFileProblem CannotRead(string path, AppleVppTokenFileException ex) => new(path, ex, null);

        public static TokenFileProblem HasExpired(string path, AppleVppTokenFile file) => new(path, null, file);
    }
}
