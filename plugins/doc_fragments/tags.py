# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # The tags of a resource that a module only tags (it sets them exactly, so they are required);
    # module_utils.tags.tags_argument_spec() is their argument spec. Modules whose tags are
    # optional (omitted: left alone) use amazon.aws.tags.
    DOCUMENTATION = r"""
options:
  tags:
    description: The tags the resource should have.
    type: dict
    required: true
    aliases: [resource_tags]
  purge_tags:
    description: Remove tags not in I(tags).
    type: bool
    default: true
"""
