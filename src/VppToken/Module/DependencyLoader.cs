using System.Management.Automation;

namespace IntuneVpp.Module
{
    /// <summary>
    /// The module's import and removal hooks: the AssemblyResolve handler (<see cref="DependencyResolver"/>) lives
    /// while the module is imported, and on Windows PowerShell 5.1 the import checks that our dependencies load.
    /// </summary>
    public sealed class DependencyLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        public void OnImport()
        {
            DependencyResolver.Register();
            try
            {
                ImportCheck.Run();
            }
            catch
            {
                // A failed import calls no OnRemove: leave no handler behind for a module that is not there.
                DependencyResolver.Unregister();
                throw;
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo) => DependencyResolver.Unregister();
    }
}
