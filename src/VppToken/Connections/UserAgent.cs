namespace IntuneVpp.Connections
{
    /// <summary>The User-Agent every connection sends, so Graph's logs and support can tell the module and its version.</summary>
    internal static class UserAgent
    {
        public static readonly string Value = "VppToken/" + typeof(UserAgent).Assembly.GetName().Version;
    }
}
