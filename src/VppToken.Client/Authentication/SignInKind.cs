namespace IntuneVpp.Client.Authentication
{
    /// <summary>The ways a connection can get its tokens.</summary>
    public enum SignInKind
    {
        Interactive,
        DeviceCode,
        ClientSecret,
        Certificate,
        ManagedIdentity,
        EnvironmentVariable,
        AccessToken,
        MgGraphSession,
    }
}
