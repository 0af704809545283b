namespace IntuneVpp
{
    /// <summary>The Graph API versions the module speaks.</summary>
    public static class GraphApiVersion
    {
        public const string V1 = "v1.0";

        public const string Beta = "beta";
    }
}
