using System;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>A test that needs Unix file permissions or Linux's kernel files; skipped on Windows, where they do not exist.</summary>
    public sealed class UnixFactAttribute : FactAttribute
    {
        public UnixFactAttribute()
        {
            if (OperatingSystem.IsWindows())
            {
                Skip = "Needs Unix file permissions.";
            }
        }
    }
}
