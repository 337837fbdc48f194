using System.Diagnostics;

namespace SafetyCheck.Audit.Tests.Support;

/// <summary>
/// A test that needs a folder nobody can write, not even root: it makes one with <c>chattr +i</c> (Linux, root, a file
/// system with the immutable attribute) and is skipped where that cannot be done.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UnwritableFolderFactAttribute : FactAttribute
{
    public UnwritableFolderFactAttribute()
    {
        if (!CanMakeUnwritable())
        {
            Skip = "needs 'chattr +i' on a temporary folder (Linux, as root, a file system with the immutable attribute)";
        }
    }

    /// <summary>Sets (<paramref name="unwritable"/>) or clears the immutable attribute of <paramref name="folder"/>.</summary>
    public static bool SetUnwritable(string folder, bool unwritable)
    {
        try
        {
            using var chattr = Process.Start(new ProcessStartInfo("chattr", [unwritable ? "+i" : "-i", folder])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            });
            if (chattr is null)
            {
                return false;
            }

            chattr.WaitForExit();
            return chattr.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static bool CanMakeUnwritable()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return false;
        }

        var probe = Directory.CreateTempSubdirectory("safetycheck-unwritable-");
        try
        {
            if (!SetUnwritable(probe.FullName, true))
            {
                return false;
            }

            try
            {
                File.WriteAllText(Path.Combine(probe.FullName, "probe"), "");
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return true;
            }
            catch (IOException)
            {
                return true;
            }
            finally
            {
                SetUnwritable(probe.FullName, false);
            }
        }
        finally
        {
            probe.Delete(recursive: true);
        }
    }
}
