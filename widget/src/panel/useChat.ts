import { useEffect, useState } from 'preact/hooks';
import type { Chat, ChatState } from './chat';

/** Re-render whenever the chat controller's state changes. */
export function useChatState(chat: Chat): ChatState {
  const [state, setState] = useState(chat.state);
  useEffect(() => {
    setState(chat.state);
    return chat.subscribe(setState);
  }, [chat]);
  return state;
}
