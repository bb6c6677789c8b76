// VS Code (unifiedjs.vscode-remark): check story and profile front matter against the
// JSON Schemas written by `site-builder schema`. See README.md, "Front matter checking in VS Code".
import remarkFrontmatter from 'remark-frontmatter';
import remarkLintFrontmatterSchema from 'remark-lint-frontmatter-schema';

export default {
  plugins: [
    remarkFrontmatter,
    [
      remarkLintFrontmatterSchema,
      {
        schemas: {
          './schemas/story.schema.json': ['./content/stories/**/*.md'],
          './schemas/profile.schema.json': ['./content/profiles/**/*.md'],
        },
      },
    ],
  ],
};
